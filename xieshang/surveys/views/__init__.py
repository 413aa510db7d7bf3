"""Survey pages: building and running surveys (staff), results (staff and
leaders), answering (members and units) and the public page (no login)."""
