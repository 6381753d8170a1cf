/* Run by package_builder.py in V8 (mini-racer) before brython.js, to compile the widget's
 * Python to JS at build time. Never shipped to a browser.
 *
 * A seeded stand-in for Math.random while compiling, so that Brython's generated names repeat
 * and the same inputs give the same bytes. */
(function(){var seed=20261123;Math.random=function(){seed=(seed*1103515245+12345)%2147483648;
return seed/2147483648}})();

/* What brython.js touches while loading, outside a browser. */
var self=globalThis, window=globalThis;
globalThis.URL=class{constructor(u){var m=/^([a-z]+:)\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(u);
if(!m){throw new TypeError('not a URL: '+u)}this.href=u;this.protocol=m[1];this.host=m[2];
this.pathname=m[3]||'/';this.search=m[4]||'';this.hash=m[5]||''}};
globalThis.location={href:'http://crumb.build/widget',origin:'http://crumb.build',pathname:'/widget'};
globalThis.document={currentScript:{src:'http://crumb.build/brython.js'},documentElement:{},
querySelectorAll:function(){return []},getElementsByTagName:function(){return []}};
globalThis.addEventListener=function(){};
globalThis.MutationObserver=function(){this.observe=function(){};this.disconnect=function(){}};
globalThis.customElements={define:function(){}};
globalThis.HTMLElement=class{};
['alert','confirm','prompt'].forEach(function(n){globalThis[n]=function(){}});

/* Called once brython.js has loaded: compile one module (or the main script) to JS. A module
 * registered in url2name under its own name compiles to a frame named `widget.x`, which
 * Brython's relative imports (`from .view import ...`) resolve. */
function crumbCompile(name, src, isPackage, uuidBase){
  var B=__BRYTHON__;
  B.$py_UUID=uuidBase;
  var pkg=isPackage ? name : name.split('.').slice(0,-1).join('.');
  var mod=B.module.$factory(name,'',pkg);
  B.imported[name]=mod;
  B.url2name[name]=name;
  try{return B.py2js({src:src,filename:name,imported:true},mod,name,B.builtins_scope).to_js()}
  finally{delete B.imported[name]}
}
function crumbCompileMain(src, uuidBase){
  var B=__BRYTHON__;
  B.$py_UUID=uuidBase;
  B.imported['__main__']=B.module.$factory('__main__');
  try{return B.py2js({src:src,filename:'crumb-widget#__main__'},'__main__','__main__',B.builtins_scope).to_js()}
  finally{delete B.imported['__main__']}
}