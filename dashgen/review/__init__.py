"""`dashgen review`: what changed between a git ref and the working tree, in words, for a pull request.

base.py builds the project at the ref (git archive into a temporary directory, compiled in a subprocess) beside
the working tree's build; summary.py (with boards.py and alerting.py) turns the two lists of desired objects into
a Review in words, from each kind's canonical form; render.py prints it as markdown, text or JSON."""
