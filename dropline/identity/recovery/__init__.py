"""Getting back in without the password: reset codes, a reset by e-mail or by text
message, and the username reminder."""
