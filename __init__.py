"""mlsd: mock ML system design interviews in the terminal.

The repository root is this package: installed, its folders are `mlsd.prompts`, `mlsd.rubric`,
`mlsd.interviewer`, `mlsd.sessions` and `mlsd.tui`, so nothing generic lands in site-packages."""
