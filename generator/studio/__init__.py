"""The studio (`handouts serve`): a local web editor with live preview, for people who never
open a terminal. A face over `generator.api`, as the command line is: it owns no build, check or
import logic. Every web page its user visits can send it requests, so every request passes the
guard in `security.py` first."""
