"""gdtui: watch and steer gradient descent in a terminal.

This package is the terminal side (the command line, the headless runner and the Textual app);
gdtui.engine is the training engine. Importing it loads nothing heavy.
"""
