"""Shortening local names (server/js_names.py): the renamed script must do exactly what the
original did. Each program runs in V8 before and after renaming."""

import json
import re

import pytest
from py_mini_racer import MiniRacer

from package_builder import minify_script
from server.js_names import UnsafeScript, check_same_meaning, shorten_names

# Each program is an IIFE whose value is JSON-able; the names in it are long on purpose.
PROGRAMS = {
    "shadowing": """(() => {
        const outerValue = 1, results = [];
        function inner(outerValue) { return outerValue * 10; }
        { const outerValue = 2; results.push(outerValue); }
        results.push(inner(3), outerValue);
        return results;
    })()""",
    "closures see the variable, not a copy": """(() => {
        let counter = 0;
        const bump = () => counter += 1;
        bump(); bump();
        return counter;
    })()""",
    "var is hoisted to the function": """(() => {
        function hoisted() { if (true) { var lifted = 'yes'; } return lifted; }
        return [hoisted(), typeof notDeclaredAnywhere];
    })()""",
    "shorthand properties keep their names": """(() => {
        const detail = 1, other = 2;
        const packed = {detail, other, method() { return detail + other; }};
        return [Object.keys(packed), packed.method()];
    })()""",
    "destructuring with defaults and rest": """(() => {
        const source = {alpha: 1, gamma: [2, 3, 4]};
        const {alpha, beta = 'dflt', gamma: [first, ...others]} = source;
        let renamed;
        ({alpha: renamed} = source);
        return [alpha, beta, first, others, renamed];
    })()""",
    "parameters with defaults, rest and patterns": """(() => {
        const take = (first, {named} = {named: 'n'}, second = first + 1, ...remaining) =>
            [first, named, second, remaining];
        return [take(1), take(1, {named: 'x'}, 5, 6, 7)];
    })()""",
    "catch, loops, switch and labels": """(() => {
        const collected = [];
        try { throw new Error('boom'); } catch (problem) { collected.push(problem.message); }
        for (let index = 0; index < 2; index++) collected.push(index);
        for (const key in {p: 1}) collected.push(key);
        for (const item of ['z']) collected.push(item);
        const chooser = 'b';
        switch (chooser) { case 'a': { let inCase = 1; collected.push(inCase); break; }
                           default: { let inCase = 2; collected.push(inCase); } }
        outerLoop: for (const row of [1, 2]) { for (const column of [1, 2]) { if (column == 2) continue outerLoop;
            collected.push(row * column); } }
        return collected;
    })()""",
    "named function expressions and classes": """(() => {
        const factorial = function fact(number) { return number < 2 ? 1 : number * fact(number - 1); };
        class Counter { constructor(start) { this.start = start; } next() { return this.start + 1; } }
        const Made = class Inner { static label() { return typeof Inner; } };
        return [factorial(5), new Counter(4).next(), Made.label()];
    })()""",
    "template literals and computed keys": """(() => {
        const word = 'hi', keyName = 'dyn';
        return [`${word}-${word.length}`, {[keyName]: word}];
    })()""",
    "globals and arguments stay": """(() => {
        globalThis.sharedGlobal = 7;
        const readGlobal = () => sharedGlobal;
        function countArguments() { return arguments.length; }
        return [readGlobal(), countArguments(1, 2, 3), typeof JSON.stringify];
    })()""",
    "many locals get two-character names without colliding": "(() => { const list = [];" + "".join(
        f"const local{n} = {n}; list.push(local{n});" for n in range(80)) + " return list; })()",
}


def run(source: str):
    return json.loads(MiniRacer().eval(f"JSON.stringify({source})"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_renamed_program_gives_the_same_result(name):
    source = PROGRAMS[name]
    renamed = shorten_names(source)

    assert run(renamed) == run(source)


def test_local_names_become_short_and_property_names_stay():
    renamed = shorten_names(PROGRAMS["shorthand properties keep their names"])

    assert "packed" not in renamed and "const detail" not in renamed
    assert re.search(r"\{detail:\w+,other:\w+,method\(\)", renamed.replace(" ", ""))


def test_top_level_names_of_a_script_are_globals_and_stay():
    renamed = shorten_names("var visibleToOthers = 1; function sharedHelper(longParameter) { return longParameter; }")

    assert "visibleToOthers" in renamed and "sharedHelper" in renamed
    assert "longParameter" not in renamed


def test_a_local_never_takes_the_name_of_a_global_it_could_hide():
    source = "(() => { const firstLocal = 1; return [typeof a, firstLocal, b]; })"
    renamed = shorten_names(source)

    assert re.search(r"const (\w+) = 1", renamed).group(1) not in ("a", "b")


@pytest.mark.parametrize("source, problem", [
    ("(() => { with (Math) { return PI; } })()", "with"),
    ("(() => { const secret = 1; return eval('secret'); })()", "eval"),
    ("(() => { if (true) { function inBlock() {} } })()", "inside a block"),
])
def test_scripts_whose_names_cannot_be_followed_are_refused(source, problem):
    with pytest.raises(UnsafeScript, match=problem):
        shorten_names(source)


def test_the_gate_keeps_its_config_token_and_exports():
    from server.gate_config import GATE_SOURCES

    minified = minify_script(GATE_SOURCES["gate.js"].read_text("utf-8"))

    assert minified.count("__CRUMB_CONFIG__") == 1
    assert "globalThis.crumbCookie={read:" in minified
    assert "const consent" not in minified and "function decide" not in minified


def test_a_rename_that_lets_an_inner_name_capture_an_outer_one_is_caught():
    before = "(() => { const outer = 1; { const inner = 2; return outer + inner; } })"
    captured = "(() => { const a = 1; { const a = 2; return a + a; } })"

    with pytest.raises(UnsafeScript, match="refers to"):
        check_same_meaning(before, captured)
    check_same_meaning(before, "(() => { const a = 1; { const b = 2; return a + b; } })")
