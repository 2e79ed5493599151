"""One module per subcommand; each `main(...)` returns the exit code. Only these and `dashgen.cli` print."""
