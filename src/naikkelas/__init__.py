"""Naik Kelas: the UMKM programme information system of an Indonesian city or regency."""
