// Tokens of the expression and template language (expressions.md §2). A lexer grammar of its
// own because lexer modes are only allowed in lexer grammars: the default mode lexes predicates,
// TEMPLATE lexes template text, and PLACEHOLDER the inside of `{…}` (§2.1).
//
// Keywords (`in`, `true`, `false`, function names) are not tokens: they are WORDs that the
// parser accepts only where a keyword is expected, so `header.in` stays a valid reference.
// Malformed input never makes the lexer fail: UNTERMINATED_STRING and ERROR_CHAR carry it to
// compiler/expr, which reports FX0809 / FX0802 with an exact span.
lexer grammar FluxExprLexer;

// ---------- predicates (default mode) ----------
OR        : '||' ;
AND       : '&&' ;
EQ        : '==' ;
NE        : '!=' ;
PREFIX    : '^=' ;
SUFFIX    : '$=' ;
CONTAINS  : '*=' ;
BANG      : '!' ;
LPAREN    : '(' ;
RPAREN    : ')' ;
LBRACK    : '[' ;
RBRACK    : ']' ;
COMMA     : ',' ;
INT       : [0-9]+ ;
// A variable (`path`, `header.x-debug`, `route.regex.user`), keyword or function name.
WORD      : [A-Za-z_] [A-Za-z0-9_.\-]* ;
// Escapes are validated by compiler/expr so that a bad one gets its own span.
DQ_STRING : '"' ( '\\' . | ~["\\] )* '"' ;
SQ_STRING : '\'' ~'\''* '\'' ;
// Longest match: these only win when the closing quote is missing.
UNTERMINATED_STRING : '"' ( '\\' . | ~["\\] )* '\\'? | '\'' ~'\''* ;
WS        : [ \t\r\n]+ -> skip ;
ERROR_CHAR : . ;

// ---------- templates ----------
mode TEMPLATE;
TEXT        : ~[{}]+ ;
ESC_OPEN    : '{{' ;
ESC_CLOSE   : '}}' ;
OPEN        : '{' -> pushMode(PLACEHOLDER) ;
STRAY_CLOSE : '}' ;

mode PLACEHOLDER;
VAR         : [A-Za-z0-9_.\-]+ ;
CLOSE       : '}' -> popMode ;
BAD_CHAR    : ~[}A-Za-z0-9_.\-] ;
