"""How firm the ranking is: stability samples, margins to the cutoff, agreement between methods."""
