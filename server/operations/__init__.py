"""Domain operations: one function per verb, taking a DB session and the objects they act on.

Operations raise `server.errors.DomainError`s and never speak HTTP; the caller commits.
"""
