// Bekal's own script. Every page works without it; it only adds conveniences.
"use strict";
