"""Admin of the sessions part. A stub until the part is built."""
