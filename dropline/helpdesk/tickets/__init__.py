"""Support tickets: a customer's requests for help and their threads, both sides' writes,
their reads and the notifications they send."""
