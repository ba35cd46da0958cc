// Anchor of the test support library, so that it builds while its other files are written.
