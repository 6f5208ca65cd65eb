"""Connectors: recipients kept true by their own API (DESIGN.md §2.2a).

Where a recipient has an API, the Art. 19 task for it is carried out by the machine;
where none does (or it is not configured), the task stays a manual one for staff."""
