"""Disrupt: the working platform of a regional group disrupting smuggling and trafficking networks."""
