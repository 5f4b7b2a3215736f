// The `when` predicate and `{var}` template language (expressions.md §2).
// Placeholder: the configuration-language issue fills in the full grammar.
grammar FluxExpr;

predicate : boolLit EOF ;
boolLit   : TRUE | FALSE ;

TRUE  : 'true' ;
FALSE : 'false' ;
WS    : [ \t\r\n]+ -> skip ;
