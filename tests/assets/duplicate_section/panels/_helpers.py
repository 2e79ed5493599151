# Modules starting with "_" are not sections; discovery skips them.
RAISE = 1 / 0
