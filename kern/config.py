"""Kernel configuration files, in the style of BSD config(8).

A 4.3BSD kernel was described by a file such as /sys/conf/GENERIC, read by
config(8) with a yacc grammar; netkern reads the same kind of file at
boot with a ply grammar.  Lines (``#`` starts a comment)::

    machine         "netkern"
    ident           GENERIC
    maxusers        8
    options         INET, GATEWAY
    options         RTHASHSIZ=65536, HZ=100, KMEMSIZE=67108864
    pseudo-device   loop
    device          le0 at wire "lan0"
    device          le1 at wire "lan1" lladdr 08:00:20:00:00:01

Options become -D definitions of the kernel's headers (as config(8)
passed them to cc), so ``GATEWAY`` turns on forwarding and the larger
routing and ARP tables, and ``RTHASHSIZ=n`` overrides the table size.
Errors name the file, line and column: ``GENERIC:3:9: syntax error at
'='``.  man/man5/config.5 documents the grammar.
"""

import re

from ply import lex, yacc


class ConfigError(Exception):
    """A configuration error; str() is ``file:line:column: message``."""


class Device:
    """One ``device`` line: an interface and what it attaches to."""

    def __init__(self, name, bus, target, lladdr=None, line=0):
        m = re.fullmatch(r"([a-z]+)(\d+)", name)
        self.name, self.unit = m.group(1), int(m.group(2))
        self.bus, self.target, self.lladdr, self.line = bus, target, lladdr, line

    def __repr__(self):
        return f"<device {self.name}{self.unit} at {self.bus} {self.target!r}>"


class Config:
    """A parsed kernel configuration."""

    def __init__(self, source="<config>"):
        self.source = source
        self.machine = "netkern"
        self.ident = "GENERIC"
        self.maxusers = 8
        self.timezone = 0
        self.options = {}          # name -> value string ("1" for a bare option)
        self.pseudo_devices = {}   # name -> count
        self.devices = []          # [Device]

    def option(self, name, default=None):
        """The value of an option, or default when it is not set."""
        return self.options.get(name, default)

    def int_option(self, name, default):
        """An option's integer value (C syntax: 0x.. hex, 0.. octal)."""
        value = self.options.get(name)
        return default if value is None else int(value, 0)


NUMERIC_OPTIONS = ("HZ", "KMEMSIZE", "RTHASHSIZ", "ARPTAB_BSIZ", "ARPTAB_NB", "NFILE", "NPROC")

# ---------------------------------------------------------------------------
# Lexer

reserved = {
    "machine": "MACHINE", "ident": "IDENT", "maxusers": "MAXUSERS",
    "timezone": "TIMEZONE", "dst": "DST", "options": "OPTIONS",
    "pseudo-device": "PSEUDO_DEVICE", "device": "DEVICE", "at": "AT",
    "lladdr": "LLADDR", "cpu": "CPU",
}
tokens = ["ID", "NUMBER", "STRING", "MACADDR", "NEWLINE"] + sorted(set(reserved.values()))
literals = ",="
t_ignore = " \t"
t_ignore_COMMENT = r"\#[^\n]*"


def t_MACADDR(t):
    r"[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}(?![\w:])"
    t.value = bytes(int(x, 16) for x in t.value.split(":"))
    return t


def t_STRING(t):
    r'"[^"\n]*"'
    t.value = t.value[1:-1]
    return t


def t_NUMBER(t):
    r"(0[xX][0-9a-fA-F]+|\d+)(?![\w-])"
    t.value = int(t.value, 0)
    return t


def t_ID(t):
    r"[A-Za-z_][-A-Za-z0-9_.]*"
    t.type = reserved.get(t.value, "ID")
    return t


def t_NEWLINE(t):
    r"\n+"
    t.lexer.lineno += len(t.value)
    return t


def t_error(t):
    """ply lexer hook: an illegal character is a ConfigError at its line."""
    raise ConfigError(_where(t, f"illegal character {t.value[0]!r}"))


def _column(lexer, pos):
    start = lexer.lexdata.rfind("\n", 0, pos) + 1
    return pos - start + 1


def _where(tok, msg):
    lexer = tok.lexer
    return f"{lexer.source}:{tok.lineno}:{_column(lexer, tok.lexpos)}: {msg}"


# ---------------------------------------------------------------------------
# Grammar.  p.parser.conf is the Config being filled.

def p_config(p):
    """config : lines"""


def p_lines(p):
    """lines :
             | lines line"""


def p_line_empty(p):
    """line : NEWLINE"""


def p_line_machine(p):
    """line : MACHINE word NEWLINE"""
    p.parser.conf.machine = p[2]


def p_line_cpu(p):
    """line : CPU word NEWLINE"""


def p_line_ident(p):
    """line : IDENT word NEWLINE"""
    p.parser.conf.ident = p[2]


def p_line_maxusers(p):
    """line : MAXUSERS NUMBER NEWLINE"""
    p.parser.conf.maxusers = p[2]


def p_line_timezone(p):
    """line : TIMEZONE NUMBER NEWLINE
            | TIMEZONE NUMBER DST NEWLINE"""
    p.parser.conf.timezone = p[2]


def p_line_options(p):
    """line : OPTIONS optlist NEWLINE"""
    for name, value, tok in p[2]:
        if name in NUMERIC_OPTIONS:
            try:
                int(value, 0)
            except ValueError:
                raise ConfigError(_where(tok, f"option {name} needs a number, not {value!r}"))
        p.parser.conf.options[name] = value


def p_optlist(p):
    """optlist : opt
               | optlist ',' opt"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_opt(p):
    """opt : ID
           | ID '=' word
           | ID '=' NUMBER
           | STRING"""
    tok = p.slice[1]
    if len(p) == 4:
        p[0] = (p[1], str(p[3]), tok)
    elif tok.type == "STRING":
        name, _, value = p[1].partition("=")
        p[0] = (name, value or "1", tok)
    else:
        p[0] = (p[1], "1", tok)


def p_word(p):
    """word : ID
            | STRING"""
    p[0] = p[1]


def p_line_pseudo(p):
    """line : PSEUDO_DEVICE ID NEWLINE
            | PSEUDO_DEVICE ID NUMBER NEWLINE"""
    p.parser.conf.pseudo_devices[p[2]] = p[3] if len(p) == 5 else 1


def p_line_device(p):
    """line : DEVICE ID AT ID STRING devparams NEWLINE"""
    tok = p.slice[2]
    if not re.fullmatch(r"[a-z]+\d+", p[2]):
        raise ConfigError(_where(tok, f"device name {p[2]!r} must be a name and a unit number"))
    if p[4] not in ("wire",):
        raise ConfigError(_where(p.slice[4], f"unknown attachment {p[4]!r} (expected: wire)"))
    conf = p.parser.conf
    if any(f"{d.name}{d.unit}" == p[2] for d in conf.devices):
        raise ConfigError(_where(tok, f"device {p[2]} configured twice"))
    conf.devices.append(Device(p[2], p[4], p[5], p[6].get("lladdr"), tok.lineno))


def p_devparams(p):
    """devparams :
                 | devparams LLADDR MACADDR"""
    p[0] = {} if len(p) == 1 else dict(p[1], lladdr=p[3])


def p_error(tok):
    """ply parser hook: a syntax error is a ConfigError naming what was found."""
    if tok is None:
        raise ConfigError(f"{_parser.conf.source}: unexpected end of file")
    what = "end of line" if tok.type == "NEWLINE" else repr(str(tok.value) if tok.type != "MACADDR"
                                                            else ":".join(f"{b:02x}" for b in tok.value))
    raise ConfigError(_where(tok, f"syntax error at {what}"))


_lexer = lex.lex(optimize=False, debug=False)
_parser = yacc.yacc(debug=False, write_tables=False, errorlog=yacc.NullLogger())


def parse(text: str, source: str = "<config>") -> Config:
    """Parse configuration text; raise ConfigError with file:line:column."""
    conf = Config(source)
    lexer = _lexer.clone()
    lexer.source = source
    lexer.lineno = 1
    _parser.conf = conf
    _parser.parse(text if text.endswith("\n") else text + "\n", lexer=lexer)
    return conf


def read(path: str) -> Config:
    """Parse a configuration file."""
    with open(path) as f:
        return parse(f.read(), path)


GENERIC = """\
# GENERIC: the configuration a kernel boots with when none is given.
machine         "netkern"
ident           GENERIC
maxusers        8
options         INET
pseudo-device   loop
pseudo-device   ether
device          le0 at wire "lan0"
"""
