"""Workers govern the review system: public rules, anonymous status codes and appeals, and the
workers' panel that decides appeals, flags and rule changes (issue 18).

`rules` (the rules as data), `codes` (status codes), `appeals` (status, appeals, flags),
`panel` (votes and decisions), `figures` (what /transparency counts). Import the modules, not
this package: it re-exports nothing, so `reviews` may use `codes` and `rules` while `panel`
uses `reviews`.
"""
