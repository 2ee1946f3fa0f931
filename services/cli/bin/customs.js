#!/usr/bin/env node
// A committed shim, so npm can link the bin before `prepare` has compiled dist/.
import '../dist/main.js';
