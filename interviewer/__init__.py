"""The interviewer: the time plan and its clock, the probing policy, and the backends."""
