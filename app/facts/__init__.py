"""Articles and the facts quoted from them."""
