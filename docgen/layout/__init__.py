"""The layout: Nghị định 30/2020 primitives for .docx (page, fonts, header table, rules,
signature blocks, stable zip) and the builders of the committed templates.

May use: nothing of docgen but vnformat (it is beneath every stage).
"""
