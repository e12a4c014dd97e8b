"""Admin of the checks part. A stub until the part is built."""
