"""Generated data: vocabularies (vocab), the toy English→French language (toy, toy_generator,
toy_grammar, toy_lexicon), digit tasks (digits) and user text (chars, text).

Import from the modules. The package itself imports nothing: a package that imports its own submodules can
deadlock against a thread importing one of them directly.
"""
