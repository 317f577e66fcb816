"""The rules: verdicts on each nomination against the plan's standards (scores, ratings,
quotas, deadlines) with their reasons, and the reward money in force on a date.

May use: docgen.workspace (the validated data), errors, i18n, vnformat. Never renders.
"""
