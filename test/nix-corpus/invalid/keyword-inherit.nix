{ inherit in; }
