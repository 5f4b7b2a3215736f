// The `when` predicate and `{var}` template language (expressions.md §2). Two entry rules:
// `template_` and `predicate`. Tokens come from FluxExprLexer.g4 (lexer modes, §2.1).
//
// The rules are deliberately a little wider than the EBNF where that lets compiler/expr give a
// precise diagnostic instead of a generic syntax error: chained comparisons (FX0811), calls of
// any name with any arguments (FX0803 / FX0804), any operand inside a list (FX0802), and `in`
// written as a WORD (keywords are reserved only where expected).
parser grammar FluxExpr;

options { tokenVocab = FluxExprLexer; }

// ---------- templates ----------
template_     : templatePart* EOF ;
templatePart  : TEXT              # textPart
              | ESC_OPEN          # escapedOpen
              | ESC_CLOSE         # escapedClose
              | OPEN VAR CLOSE    # placeholder
              ;

// ---------- predicates ----------
predicate     : orExpr EOF ;
orExpr        : andExpr ( OR andExpr )* ;
andExpr       : unary ( AND unary )* ;
unary         : BANG unary                                   # notExpr
              | primary                                      # primaryExpr
              ;
primary       : LPAREN orExpr RPAREN                         # parenExpr
              | WORD LPAREN ( operand ( COMMA operand )* )? RPAREN   # callExpr
              | operand cmpOp operand ( cmpOp operand )*     # compareExpr
              | operand BANG? WORD list                      # memberExpr
              | operand                                      # bareExpr
              ;
cmpOp         : EQ | NE | PREFIX | SUFFIX | CONTAINS ;
operand       : WORD | DQ_STRING | SQ_STRING | INT ;
list          : LBRACK ( operand ( COMMA operand )* COMMA? )? RBRACK ;
