"""The award register (sổ khen thưởng): an SQLite database of the decisions signed and their
awardees, for years of "what has this person or unit received, when, by which decision?"."""
