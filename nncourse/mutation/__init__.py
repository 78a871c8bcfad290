"""Mutation testing of the graders: how many wrong variants of each
exercise's solution its test cell catches.

- :mod:`.operators` makes the mutants of a solution cell (one operator
  applied at one place between the ``### BEGIN/END SOLUTION`` markers);
- :mod:`.runner` executes a chapter once and, at each exercise, forks one
  child per mutant that runs the mutated cell and the exercise's test cell;
- :mod:`.report` counts the outcomes per exercise and chapter, reads the
  list of equivalent mutants and writes the text and JSON reports.

``nncourse mutants`` is the command line (:mod:`.command`).
"""
