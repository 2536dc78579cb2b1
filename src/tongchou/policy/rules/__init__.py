"""One module per part of the Measures; each rule reads Facts and the rule set's Parameters."""
