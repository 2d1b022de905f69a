"""Getting back in without the password: reset codes, a reset by email or by text
message, and the username reminder."""
