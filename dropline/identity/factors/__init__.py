"""Second factors beyond allauth's, and a person's choices about all of them."""
