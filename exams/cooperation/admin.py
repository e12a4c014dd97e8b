"""Admin of the cooperation part. A stub until the part is built."""
