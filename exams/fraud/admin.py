"""Admin of the fraud part. A stub until the part is built."""
