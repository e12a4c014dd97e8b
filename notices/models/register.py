"""The register of registered support organizations and its imports (6(3), 7(5))."""
