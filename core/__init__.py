"""The shared core that every other package imports (and that imports none of them): the input error
type, the YAML loader, and outputs that never destroy what wirecopy did not write."""
