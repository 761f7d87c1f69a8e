"""Build the ABI module from the header text (used by kern.headers).

This is the slow half of header loading, run once per change of the
headers: preprocess with ply.cpp, lay the declarations out with cffi,
and turn every ``#define`` into Python.  Macros are compiled by a small
C constant-expression compiler written with ply.yacc: it produces Python
source together with the C type of each subexpression, so that
``~IOC_IN`` or ``(u_long)-1`` wrap the way C's unsigned arithmetic does,
and integer division truncates toward zero.
"""

import ast
import contextlib
import io
import re

import cffi
from ply import cpp as _cpp
from ply import lex, yacc

# ---------------------------------------------------------------------------
# C integer types: (bits, signed)
INT, UINT, LONG, ULONG = (32, True), (32, False), (64, True), (64, False)


class NotConstant(Exception):
    """The macro is not an integer expression (a field alias, a type, ...)."""


# ---------------------------------------------------------------------------
# The lexer over the macro's expanded text.

tokens = (
    "INTEGER", "CHAR", "ID", "PARAM", "SIZEOF",
    "OROR", "ANDAND", "EQ", "NE", "LE", "GE", "LSHIFT", "RSHIFT",
)
literals = "()?:+-*/%~!<>&|^"

t_ignore = " \t\r\n"
t_OROR = r"\|\|"
t_ANDAND = r"&&"
t_EQ = r"=="
t_NE = r"!="
t_LE = r"<="
t_GE = r">="
t_LSHIFT = r"<<"
t_RSHIFT = r">>"


def t_INTEGER(t):
    r"(0[xX][0-9a-fA-F]+|[0-9]+)([uU][lL]{0,2}|[lL]{1,2}[uU]?)?"
    t.value = _int_literal(t.value)
    return t


def t_CHAR(t):
    r"'([^\\'\n]|\\[^\n]|\\[0-7]{1,3}|\\x[0-9a-fA-F]+)'"
    raw = ast.literal_eval("b" + t.value)
    t.value = (str(raw[0]), INT)
    return t


def t_ID(t):
    r"[A-Za-z_][A-Za-z0-9_]*"
    if t.value == "sizeof":
        t.type = "SIZEOF"
    elif t.value in t.lexer.params:
        t.type = "PARAM"
    return t


def t_error(t):
    """ply lexer hook: a character no token matches makes the expression not a constant."""
    raise NotConstant(f"bad character {t.value[0]!r}")


def _int_literal(text):
    """Value and C type of an integer literal, by C's rules for its form."""
    m = re.match(r"(0[xX][0-9a-fA-F]+|[0-9]+)(.*)", text)
    digits, suffix = m.group(1), m.group(2).lower()
    if digits[:2].lower() == "0x":
        value, decimal = int(digits, 16), False
    elif len(digits) > 1 and digits[0] == "0":
        value, decimal = int(digits, 8), False
    else:
        value, decimal = int(digits), True
    unsigned, long_ = "u" in suffix, "l" in suffix
    if decimal and not unsigned:
        order = [LONG] if long_ else [INT, LONG]
    elif unsigned:
        order = [ULONG] if long_ else [UINT, ULONG]
    else:
        order = [LONG, ULONG] if long_ else [INT, UINT, LONG, ULONG]
    for ty in order:
        bits, signed = ty
        if value < (1 << (bits - 1 if signed else bits)):
            return (str(value), ty)
    raise NotConstant(f"integer literal {text} too large")


# ---------------------------------------------------------------------------
# The grammar.  Each nonterminal's value is (python_source, ctype).

precedence = ()

# Macros the preprocessor defines itself, or that select a personality.
_BUILTIN = {"__FILE__", "__DATE__", "__TIME__", "SVR4", "__LP64__"}


def _promote(ty):
    return ty if ty[0] >= 32 else INT


def _common(a, b):
    """C's usual arithmetic conversions on two (promoted) types."""
    a, b = _promote(a), _promote(b)
    if a == b:
        return a
    if a[1] == b[1]:
        return a if a[0] > b[0] else b
    uns, sig = (a, b) if not a[1] else (b, a)
    if uns[0] >= sig[0]:
        return uns
    return sig  # a wider signed type holds every value of the unsigned one


def _wrap(src, ty):
    """Python source for src reduced to the range of integer type ty."""
    bits, signed = ty
    if signed:
        return f"_sx({src}, {bits})"
    return f"(({src}) & {hex((1 << bits) - 1)})"


def _conv(node, ty):
    """Convert an operand to type ty (only signedness changes matter)."""
    src, have = node
    if have == ty or (have[1] and ty[1]):
        return src
    return _wrap(src, ty)


def p_expr(p):
    """expr : cond"""
    p[0] = p[1]


def p_cond(p):
    """cond : lor
            | lor '?' expr ':' cond"""
    if len(p) == 2:
        p[0] = p[1]
    else:
        ty = _common(p[3][1], p[5][1])
        p[0] = (f"({_conv(p[3], ty)} if {p[1][0]} else {_conv(p[5], ty)})", ty)


def p_lor(p):
    """lor : land
           | lor OROR land"""
    p[0] = p[1] if len(p) == 2 else (f"int(bool({p[1][0]}) or bool({p[3][0]}))", INT)


def p_land(p):
    """land : bor
            | land ANDAND bor"""
    p[0] = p[1] if len(p) == 2 else (f"int(bool({p[1][0]}) and bool({p[3][0]}))", INT)


def _binary(p, pyop=None):
    if len(p) == 2:
        p[0] = p[1]
        return
    a, op, b = p[1], p[2], p[3]
    ty = _common(a[1], b[1])
    x, y = _conv(a, ty), _conv(b, ty)
    if op in ("<", ">", "<=", ">=", "==", "!="):
        p[0] = (f"int(({x}) {op} ({y}))", INT)
    elif op == "/":
        p[0] = (f"_div({x}, {y})", ty)
    elif op == "%":
        p[0] = (f"_mod({x}, {y})", ty)
    elif op in ("+", "-", "*") and not ty[1]:
        p[0] = (_wrap(f"({x}) {op} ({y})", ty), ty)
    else:
        p[0] = (f"(({x}) {op} ({y}))", ty)


def p_bor(p):
    """bor : bxor
           | bor '|' bxor"""
    _binary(p)


def p_bxor(p):
    """bxor : band
            | bxor '^' band"""
    _binary(p)


def p_band(p):
    """band : equality
            | band '&' equality"""
    _binary(p)


def p_equality(p):
    """equality : relational
                | equality EQ relational
                | equality NE relational"""
    _binary(p)


def p_relational(p):
    """relational : shift
                  | relational '<' shift
                  | relational '>' shift
                  | relational LE shift
                  | relational GE shift"""
    _binary(p)


def p_shift(p):
    """shift : additive
             | shift LSHIFT additive
             | shift RSHIFT additive"""
    if len(p) == 2:
        p[0] = p[1]
        return
    ty = _promote(p[1][1])
    src = f"(({p[1][0]}) {p[2]} ({p[3][0]}))"
    p[0] = (_wrap(src, ty) if p[2] == "<<" else src, ty)


def p_additive(p):
    """additive : multiplicative
                | additive '+' multiplicative
                | additive '-' multiplicative"""
    _binary(p)


def p_multiplicative(p):
    """multiplicative : cast
                      | multiplicative '*' cast
                      | multiplicative '/' cast
                      | multiplicative '%' cast"""
    _binary(p)


def p_cast(p):
    """cast : unary
            | '(' typename ')' cast"""
    if len(p) == 2:
        p[0] = p[1]
    else:
        ty = p[2]
        p[0] = (_wrap(p[4][0], ty), ty)


def p_unary(p):
    """unary : primary
             | '-' cast
             | '+' cast
             | '~' cast
             | '!' cast
             | SIZEOF '(' typename_sized ')'"""
    if len(p) == 2:
        p[0] = p[1]
    elif p[1] == "sizeof":
        p[0] = (str(p[3]), ULONG)
    else:
        op, (src, ty) = p[1], p[2]
        ty = _promote(ty)
        if op == "!":
            p[0] = (f"int(not ({src}))", INT)
        elif op == "+":
            p[0] = (src, ty)
        elif ty[1]:
            p[0] = (f"({op}({src}))", ty)
        else:
            p[0] = (_wrap(f"{op}({src})", ty), ty)


def p_primary(p):
    """primary : INTEGER
               | CHAR
               | PARAM
               | '(' expr ')'"""
    if len(p) == 4:
        p[0] = (f"({p[2][0]})", p[2][1])
    elif p.slice[1].type == "PARAM":
        p[0] = (p[1], LONG)  # an argument of unknown type: a plain integer
    else:
        p[0] = p[1]


def p_typename(p):
    """typename : typewords stars"""
    p[0] = _ctx.integer_type(p[1], p[2])


def p_typename_sized(p):
    """typename_sized : typewords stars"""
    p[0] = _ctx.sizeof(p[1], p[2])


def p_typewords(p):
    """typewords : ID
                 | typewords ID"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[2]]


def p_stars(p):
    """stars :
             | stars '*'"""
    p[0] = 0 if len(p) == 1 else p[1] + 1


def p_error(p):
    """ply parser hook: text that is not a C constant expression is not a constant."""
    raise NotConstant(f"syntax error at {p.value!r}" if p else "unexpected end")


class _Context:
    """What the grammar asks of the declarations: type sizes and kinds."""

    def __init__(self):
        self.ffi = None

    def _ctype(self, words, stars):
        name = " ".join(words) + " *" * stars
        try:
            return self.ffi.typeof(name)
        except (cffi.CDefError, cffi.FFIError, TypeError, KeyError) as e:
            raise NotConstant(f"unknown type {name}") from e

    def sizeof(self, words, stars):
        """sizeof(type) of a type named by its words and pointer stars, from cffi."""
        return self.ffi.sizeof(self._ctype(words, stars))

    def integer_type(self, words, stars):
        """The integer type a cast to this type leaves (pointers are unsigned long)."""
        t = self._ctype(words, stars)
        if t.kind == "pointer":
            return ULONG
        if t.kind != "primitive":
            raise NotConstant(f"cast to {t.cname}")
        signed = not (t.cname.startswith("unsigned") or t.cname == "_Bool")
        return (self.ffi.sizeof(t) * 8, signed)


_ctx = _Context()
_parser = None
_lexer = None


def _compile(text, params=()):
    """Compile expanded macro text to (python_source, ctype)."""
    global _parser, _lexer
    if _parser is None:
        _lexer = lex.lex(optimize=False, debug=False)
        _parser = yacc.yacc(debug=False, write_tables=False, errorlog=yacc.NullLogger())
    _lexer.params = set(params)
    return _parser.parse(text, lexer=_lexer)


_HELPERS = '''
def _sx(x, bits):
    """Reduce x to a signed integer of the given width (two's complement)."""
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >> (bits - 1) else x


def _div(a, b):
    """C division: the quotient truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _mod(a, b):
    return a - _div(a, b) * b
'''
_helper_ns = {}
exec(_HELPERS, _helper_ns)


# ---------------------------------------------------------------------------
# Preprocessing.

class _Preprocessor(_cpp.Preprocessor):
    """ply.cpp with errors that stop the build instead of printing."""

    def error(self, file, line, msg):
        """A preprocessor error stops the header build with its file and line."""
        raise SyntaxError(f"{file}:{line}: {msg}")


def preprocess(root, files, personality, defines=None):
    """Run ply.cpp over a unit that includes every header; return (text, pp)."""
    lexer = lex.lex(module=_cpp, optimize=False, debug=False)
    pp = _Preprocessor(lexer)
    pp.add_path(root)
    pp.define("__LP64__ 1")
    if personality == "svr4":
        pp.define("SVR4 1")
    for name, value in (defines or {}).items():
        pp.define(f"{name} {value}")
    unit = "".join(f"#include <{f}>\n" for f in files)
    pp.parse(unit, "<abi>")
    out = io.StringIO()
    while True:
        tok = pp.token()
        if tok is None:
            break
        out.write(tok.value)
    return out.getvalue(), pp


def _expand(pp, text):
    toks = pp.expand_macros(pp.tokenize(text))
    return "".join(str(t.value) for t in toks)


def macro_definitions(pp, ffi):
    """Yield (kind, name, payload) for every exported macro.

    kind is 'const' (payload: int), 'string' (str), 'func' (Python source
    of a def) or 'alias' (the member path it stands for, e.g.
    ``ifr_ifru.ifru_flags``).
    """
    _ctx.ffi = ffi
    for name in sorted(pp.macros):
        m = pp.macros[name]
        if name in _BUILTIN:
            continue
        if m.arglist is None:
            body = _expand(pp, name).strip()
            if not body:
                continue
            if re.fullmatch(r'"([^"\\]|\\.)*"', body):
                yield "string", name, ast.literal_eval(body)
                continue
            if re.fullmatch(r"[A-Za-z_]\w*(\s*(\.|->)\s*[A-Za-z_]\w*)+", body):
                yield "alias", name, re.sub(r"\s+", "", body)
                continue
            try:
                src, _ = _compile(body)
                yield "const", name, eval(src, dict(_helper_ns))
            except (NotConstant, ZeroDivisionError):
                continue
        else:
            params = [f"_a{i}" for i in range(len(m.arglist))]
            try:
                body = _expand(pp, f"{name}({', '.join(params)})")
                src, _ = _compile(body, params)
            except (NotConstant, SyntaxError, IndexError):
                continue
            yield "func", name, (
                f"def {name}({', '.join(m.arglist)}):\n"
                f"    \"\"\"#define {name}({', '.join(m.arglist)}) from the headers.\"\"\"\n"
                + "".join(f"    {p} = {a}\n" for p, a in zip(params, m.arglist))
                + f"    return {src}\n")


def errlist(root, personality):
    """sys_errlist of a personality: {errno: text}, from the comments of errno.h.

    libc's message table is not a header, but the header carries each
    message as the comment of its #define (as BSD's errno.h always did),
    in one ``#ifdef SVR4 / #else / #endif`` split; reading them keeps a
    single source for the numbers and the texts.
    """
    import os
    want = "svr4" if personality == "svr4" else "native"
    section, table = None, {}
    with open(os.path.join(root, "sys", "errno.h")) as f:
        for line in f:
            if line.startswith("#ifdef SVR4"):
                section = "svr4"
            elif line.startswith("#else"):
                section = "native"
            elif line.startswith("#endif") and section:
                section = None
            m = re.match(r"#define\s+(E\w+)\s+(\d+)\s+/\*\s*(.*?)\s*\*/", line)
            if m and section == want:
                table[int(m.group(2))] = m.group(3)
    return table


def build_module(root, files, modname, personality, defines=None):
    """Return the Python source of the cached ABI module."""
    text, pp = preprocess(root, files, personality, defines)
    builder = cffi.FFI()
    builder.cdef(text)
    builder.set_source(modname, None)
    out = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating"
        builder.emit_python_code(out)
    lines = [out.getvalue(), _HELPERS, f"PERSONALITY = {personality!r}", "ALIASES = {}",
             f"ERRLIST = {errlist(root, personality)!r}"]
    for kind, name, payload in macro_definitions(pp, builder):
        if kind == "func":
            lines.append(payload)
        elif kind == "alias":
            lines.append(f"ALIASES[{name!r}] = {payload!r}")
        else:
            lines.append(f"{name} = {payload!r}")
    return "\n".join(lines) + "\n"
