"""What the tests share: the repository's programs, stand-in collectors, fixed clocks and ids."""
