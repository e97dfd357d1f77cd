"""Pages of the Retail site (the dealer site), one module per concern. Views parse input, call
one service or selector, render; `common` holds what they share."""
