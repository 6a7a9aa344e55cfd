"""The Griya IKM showroom's consignment ledger: notes, items, sales, returns, stock and monthly settlements (issue 16)."""
