"""gdtui's terminal side: the command line, the headless runner and the Textual app."""
