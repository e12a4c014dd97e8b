"""Admin of the results part. A stub until the part is built."""
