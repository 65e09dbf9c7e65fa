"""What only builds the book (the site): facts for the prose, figures, companions, timings."""
