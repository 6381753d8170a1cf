/* The end of widget.js: runs the widget's modules, precompiled by package_builder.py, the way
 * Brython runs a page's script, minus the compiling. The builder puts the VFS timestamp, the
 * modules ({name: [js, is_package]}) and the main script's JS in place of the three tokens. */
(function(B,modules,main){"use strict";
B.use_VFS=true;
var vfs={"$timestamp":__CRUMB_TIMESTAMP__};
for(var name in modules){vfs[name]=[".py","",[]].concat(modules[name][1]?[1]:[]);
B.precompiled[name]=modules[name][1]?[modules[name][0]]:modules[name][0]}
B.update_VFS(vfs);
B.$options=B.parse_options({debug:1,indexeddb:false,static_stdlib_import:false,cache:true});
var url=location.href.split('#')[0],filename=B.script_filename='crumb-widget#__main__',
script=new B.fakeScript(filename);
B.script_path=url;B.file_cache[filename]='';B.url2name[filename]='__main__';B.scripts[filename]=script;
B.make_import_paths(filename);
B.tasks.push(["execute",{js:main,__name__:'__main__',__file__:url,script_element:script,filename:filename}]);
B.loop();
})(__BRYTHON__,__CRUMB_MODULES__,__CRUMB_MAIN__);
