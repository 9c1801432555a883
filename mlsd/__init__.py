"""mlsd: mock ML system design interviews in the terminal.

The layers live in folders at the repository root; the links in this folder make them the
subpackages of one import name (`mlsd.prompts`, `mlsd.rubric`, ...), for the installed wheel, an
editable install and tools run from the repository alike, so nothing generic lands in
site-packages. A new layer folder gets its link here."""
