"""clausecheck: find, judge and improve the social clauses in public-procurement tender documents."""

__version__ = "0.1.0"
