"""Probability distributions for uncertain values and the tools that draw from them."""
