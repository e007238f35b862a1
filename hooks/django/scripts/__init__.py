"""Scripts run with the generated project's own interpreter (they import only Django and the
standard library: that interpreter need not have DAZZLE installed)."""
