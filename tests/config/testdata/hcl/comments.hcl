# hash comment
// slash comment
/* block
   comment */ a = 1 /* inline */ # trailing
b = /* before value */ "x" // after
/**/ c = [1, /* in list */ 2]
