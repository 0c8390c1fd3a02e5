"""The practice library: coalitions describe an approach for others to learn from (issue 19)."""
