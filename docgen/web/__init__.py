"""The office's web page: `docgen serve`, the whole round in a browser over docgen.main."""
