"""Curation rounds (kurasi produk): criteria, submissions, scores by several officials, published results and produk terseleksi (issue 16)."""
